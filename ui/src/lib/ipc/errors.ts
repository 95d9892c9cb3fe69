import type { ErrorCode } from './gen/ErrorCode';

/** Every error code the Rust side can send; a `Record` so that a new Rust code is a type error here. */
const KNOWN_CODES: Record<ErrorCode, true> = {
  unauthenticated: true,
  forbidden: true,
  notFound: true,
  throttled: true,
  network: true,
  validation: true,
  notAvailable: true,
  signInAgain: true,
  cancelled: true,
  internal: true,
};

/** A failed command, normalised: screens only ever see this shape, never a raw string or object. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | null;

  constructor(code: ErrorCode, message: string, detail: string | null = null) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.detail = detail;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(KNOWN_CODES, value);
}

/**
 * Turns whatever a rejected `invoke` produced into an {@link IpcError}: the Rust `AppError` object
 * (`{ code, message, detail? }`), a plain string (Tauri's own errors, e.g. an unknown command), or anything else.
 */
export function normaliseError(raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  if (typeof raw === 'object' && raw !== null) {
    const record = raw as Record<string, unknown>;
    const message = typeof record.message === 'string' ? record.message : String(raw);
    const detail = typeof record.detail === 'string' ? record.detail : null;
    if (isErrorCode(record.code)) return new IpcError(record.code, message, detail);
    return new IpcError('internal', message, detail);
  }
  if (typeof raw === 'string') return new IpcError('internal', raw);
  return new IpcError('internal', String(raw));
}
