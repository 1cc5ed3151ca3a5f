-- Channel modes +e (ban exceptions) and +I (invite exceptions): mask lists stored like bans, one mask a line.
ALTER TABLE channels ADD COLUMN ban_exceptions TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN invite_exceptions TEXT NOT NULL DEFAULT '';
