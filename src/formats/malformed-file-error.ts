/**
 * A submitted file that cannot be read: not a zip, corrupt, too large once expanded, or not the
 * SpreadsheetML we expect. The message is meant for the submitter (it names the part and cell);
 * callers turn it into a parse error instead of letting it escape as an internal failure.
 */
export class MalformedFileError extends Error {
  override readonly name = 'MalformedFileError';
}
