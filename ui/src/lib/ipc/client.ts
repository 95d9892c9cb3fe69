import type { CommandName, Commands } from './gen/commands';
import { normaliseError } from './errors';

/** How a command reaches the Rust side: Tauri's `invoke` in the app, an in-memory mock in Vitest. */
export interface Transport {
  invoke(command: CommandName, args: Record<string, unknown>): Promise<unknown>;
}

/** Arguments of a command: nothing when it takes no request, else exactly its request DTO. */
export type RequestArgs<N extends CommandName> = Commands[N]['request'] extends null
  ? []
  : [request: Commands[N]['request']];

/** Talks to the Rust side through Tauri's `invoke` (loaded lazily so tests never import Tauri). */
export const tauriTransport: Transport = {
  async invoke(command, args) {
    const { invoke } = await import('@tauri-apps/api/core');
    return invoke(command, args);
  },
};

let transport: Transport = tauriTransport;

/** Replaces the transport (tests install a mock); returns the previous one. */
export function setTransport(next: Transport): Transport {
  const previous = transport;
  transport = next;
  return previous;
}

/**
 * Calls a Rust command by its generated name with its generated request type, and resolves with its
 * generated response type. Rejects only with an `IpcError` (`{ code, message, detail }`).
 */
export async function call<N extends CommandName>(
  command: N,
  ...request: RequestArgs<N>
): Promise<Commands[N]['response']> {
  const args: Record<string, unknown> = request.length === 0 ? {} : { request: request[0] };
  try {
    return (await transport.invoke(command, args)) as Commands[N]['response'];
  } catch (raw) {
    throw normaliseError(raw);
  }
}
