#!/usr/bin/env python3
# Pages SQLite writes to its log per commit for the journal's hottest rows (a channel message with its
# recipients and its federation outbox event), on the schema before V9 (seq a unique index beside the
# rowid) and after it (seq the rowid). Counts log frames, so the answer does not depend on the machine's speed.
#   bench/sqlite-pages.py        (Python 3 with its sqlite3 module; the migrations are read from this checkout)
import glob, os, sqlite3, tempfile

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'server', 'src', 'main', 'resources', 'db')


def store(with_v9):
    db = sqlite3.connect(os.path.join(tempfile.mkdtemp(), 'pages.db'), isolation_level=None)
    db.execute('PRAGMA journal_mode=WAL')
    db.execute('PRAGMA wal_autocheckpoint=0')
    scripts = sorted(glob.glob(os.path.join(MIGRATIONS, 'migration', 'V*.sql')),
                     key=lambda f: int(os.path.basename(f)[1:].split('__')[0]))
    if with_v9:
        scripts.append(os.path.join(MIGRATIONS, 'sqlite', 'V9__seq_is_the_rowid.sql'))
    for script in scripts:
        db.executescript(open(script).read().replace('${bytes}', 'BLOB'))
    return db


def commit_messages(db, per_commit, commits, seq):
    envelope, event, recipients = b'x' * 600, 'e' * 1100, ','.join(str(i) for i in range(1, 11))
    for _ in range(commits):
        db.execute('BEGIN')
        for _ in range(per_commit):
            db.execute('INSERT INTO messages(seq, id, history_key, command, ts_ms, envelope, recipients) '
                       'VALUES (?,?,?,?,?,?,?) ON CONFLICT (seq) DO NOTHING',
                       (seq, 'id%d' % seq, '#bench', 'PRIVMSG', 1_700_000_000_000 + seq, envelope, recipients))
            db.execute('INSERT INTO federation_outbox(seq, peer, event, created_ms) VALUES (?,?,?,?) '
                       'ON CONFLICT (seq) DO NOTHING', (seq, 'beta', event, 1_700_000_000_000))
            seq += 1
        db.execute('COMMIT')
    return seq


for per_commit in (1, 20):
    for with_v9 in (False, True):
        db = store(with_v9)
        seq = commit_messages(db, per_commit, 2000, 1)  # trees a few levels deep first
        db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        commit_messages(db, per_commit, 2000, seq)
        frames = db.execute('PRAGMA wal_checkpoint(PASSIVE)').fetchone()[1]
        print('%-22s %2d message(s) and outbox event(s) a commit: %4.1f pages a commit, %.2f a message'
              % ('after V9 (seq rowid):' if with_v9 else 'before V9:', per_commit, frames / 2000, frames / 2000 / per_commit))
