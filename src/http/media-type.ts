// The media type a request body declares, without parameters: `Content-Type: Text/CSV; charset=utf-8` → `text/csv`.
export function mediaTypeOf(request: Request): string {
  return (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
}
