import type { CommandName, Commands } from './gen/commands';
import type { Transport } from './client';

/** A fake implementation of one command: gets the request DTO (or `null`), returns or throws. */
export type MockHandler<N extends CommandName> = (
  request: Commands[N]['request'],
) => Commands[N]['response'] | Promise<Commands[N]['response']>;

/** Fake implementations for some commands; the others reject like an unknown Tauri command. */
export type MockHandlers = { [N in CommandName]?: MockHandler<N> };

/** One recorded call, for assertions. */
export interface MockCall {
  command: CommandName;
  request: unknown;
}

/** An in-memory transport for Vitest: same interface as the Tauri one, records every call. */
export function createMockTransport(handlers: MockHandlers): Transport & { calls: MockCall[] } {
  const calls: MockCall[] = [];
  return {
    calls,
    async invoke(command, args) {
      const request = 'request' in args ? args.request : null;
      calls.push({ command, request });
      const handler = handlers[command] as ((request: unknown) => unknown) | undefined;
      if (!handler) throw `command ${command} not found`;
      return handler(request);
    },
  };
}
