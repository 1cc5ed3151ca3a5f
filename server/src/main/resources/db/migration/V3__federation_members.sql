-- chatd schema v3: remote members survive a restart (SPEC §7.5). The users of other servers that are
-- in a channel here, with the presence and away text their server announced, and their memberships.
-- Written in the journal transaction of the event that changed them; read back at start-up, where the
-- users show as unreachable until the link towards their server is up again.
CREATE TABLE federation_users (
    member TEXT PRIMARY KEY,          -- casefolded nick@server
    nick TEXT NOT NULL,
    server TEXT NOT NULL,
    presence TEXT NOT NULL,
    away TEXT);

CREATE TABLE federation_members (
    channel TEXT NOT NULL,            -- casefolded channel name (channels.name_folded)
    member TEXT NOT NULL,             -- federation_users.member
    modes TEXT NOT NULL,
    PRIMARY KEY (channel, member));

-- When each channel mode (i m n s t k l) last changed and where: after a split the newest change of
-- each mode wins, ties going to the smaller server name.
CREATE TABLE federation_modes (
    channel TEXT NOT NULL,            -- casefolded channel name
    mode TEXT NOT NULL,               -- one letter
    ms BIGINT NOT NULL,
    server TEXT NOT NULL,
    PRIMARY KEY (channel, mode));
