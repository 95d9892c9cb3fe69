import type { ErrorCode } from './gen/ErrorCode';
import type { TextDto } from './gen/TextDto';
import { say } from '$lib/i18n/index.svelte';

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
  /** The message as a code with parameters, when it has one: worded in the person's language. */
  readonly text: TextDto | null;

  constructor(code: ErrorCode, message: string, detail: string | null = null, text: TextDto | null = null) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.detail = detail;
    this.text = text;
  }

  /** What to show people: the coded message in the current language, else the English message. */
  get shown(): string {
    return this.text ? say(this.text) : this.message;
  }
}

function isText(value: unknown): value is TextDto {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.code === 'string' && typeof record.text === 'string' && typeof record.params === 'object';
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
    const text = isText(record.text) ? record.text : null;
    if (isErrorCode(record.code)) return new IpcError(record.code, message, detail, text);
    return new IpcError('internal', message, detail, text);
  }
  if (typeof raw === 'string') return new IpcError('internal', raw);
  return new IpcError('internal', String(raw));
}
