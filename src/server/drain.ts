import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

interface Connection {
  /** Responses started and not yet finished. */
  open: Set<ServerResponse>;
  /** Requests answered on it: a connection that has served none may still be reading its first. */
  served: number;
}

/**
 * Graceful shutdown at the HTTP level. Once draining, every response not yet started carries
 * `Connection: close` (Node then closes the connection after it), so keep-alive clients are told
 * to go away instead of being served on and on; idle keep-alive connections are closed at once;
 * connections accepted but whose first request has not been read yet are kept until it is
 * answered: resetting them is what a plain `server.close()` would do under load.
 */
export class Drain {
  private draining = false;
  /** Connections accepted so far. */
  private accepted = 0;
  private readonly connections = new Map<Socket, Connection>();

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.accepted++;
      this.connections.set(socket, { open: new Set(), served: 0 });
      socket.once('close', () => this.connections.delete(socket));
    });
    // before the app's listener, which may answer synchronously
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const connection = this.connections.get(req.socket);
      if (this.draining) res.setHeader('Connection', 'close');
      if (!connection) return;
      connection.open.add(res);
      res.once('close', () => {
        connection.open.delete(res);
        connection.served++;
      });
    });
  }

  /**
   * Drains: marks every response to come `Connection: close` and closes idle keep-alive
   * connections; keeps accepting for `acceptMs` and then until an event-loop turn accepts nothing
   * (Node accepts one connection per turn, so under load, e.g. while PGlite keeps the loop busy,
   * connections queue in the listen backlog, and closing the listening socket would reset them);
   * then stops listening and resolves when every connection has closed. After `graceMs` the ones
   * still open are closed.
   */
  async close(acceptMs: number, graceMs: number): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + graceMs;
    for (const [socket, { open, served }] of this.connections) {
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      if (open.size === 0 && served > 0) socket.destroy();
    }
    await sleep(acceptMs);
    for (let accepted = -1; accepted !== this.accepted && Date.now() < deadline;) {
      accepted = this.accepted;
      await new Promise((resolve) => setImmediate(resolve)); // runs right after the next poll for I/O
    }
    await new Promise<void>((resolve) => {
      const grace = setTimeout(() => this.server.closeAllConnections(), Math.max(0, deadline - Date.now()));
      // net.Server's close, not http.Server's: that one also destroys accepted connections whose request is still unread
      NetServer.prototype.close.call(this.server, () => {
        clearTimeout(grace);
        resolve();
      });
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
