-- DM history keys were dm:a|b, but '|' is allowed in nicks: "a" with "b|c" and "a|b" with "c" shared the key
-- dm:a|b|c, so one pair could read the other's conversation. Keys are now dm:a,b (',' occurs in no nick and no
-- server name). Keys with exactly one '|' are unambiguous and converted; the ambiguous ones are left as they are,
-- readable by nobody, until the retention trims them.
UPDATE messages SET history_key = 'dm:' || replace(substr(history_key, 4), '|', ',')
WHERE history_key LIKE 'dm:%' AND length(history_key) - length(replace(history_key, '|', '')) = 1;
