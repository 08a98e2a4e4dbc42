import { IDisposable } from '@lumino/disposable';

/**
 * Object URLs of fetched blobs (thumbnails, images), fetched at most `concurrency` at a time,
 * in the order asked, each once. The URLs are revoked on dispose.
 *
 * Fetching through `fetch` with credentials (not `<img src>`) keeps the token out of URLs and
 * works whatever the Jupyter server's authentication.
 */
export class BlobURLCache implements IDisposable {
  /**
   * @param fetchBlob fetches the blob of a key
   * @param concurrency most fetches running at once
   */
  constructor(
    private readonly fetchBlob: (key: string) => Promise<Blob>,
    private readonly concurrency = 6
  ) {}

  /** Whether `dispose` was called. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Requests sent and not yet answered. */
  get running(): number {
    return this._running;
  }

  /** An object URL of the key's blob; rejects when its fetch failed or the cache is disposed. */
  get(key: string): Promise<string> {
    if (this._disposed) {
      return Promise.reject(new Error('The view was closed.'));
    }
    let url = this._urls.get(key);
    if (url === undefined) {
      url = new Promise<string>((resolve, reject) => {
        this._queue.push({ key, resolve, reject });
      });
      // A failed fetch may be retried by asking again.
      url.catch(() => this._urls.delete(key));
      this._urls.set(key, url);
      this._next();
    }
    return url;
  }

  /** Reject what waits, revoke every URL handed out. */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    for (const waiting of this._queue.splice(0)) {
      waiting.reject(new Error('The view was closed.'));
    }
    for (const url of this._urls.values()) {
      url.then(text => URL.revokeObjectURL(text)).catch(() => undefined);
    }
    this._urls.clear();
  }

  private _next(): void {
    while (this._running < this.concurrency && this._queue.length > 0) {
      const { key, resolve, reject } = this._queue.shift()!;
      this._running++;
      this.fetchBlob(key)
        .then(blob => {
          const url = URL.createObjectURL(blob);
          if (this._disposed) {
            URL.revokeObjectURL(url);
            reject(new Error('The view was closed.'));
          } else {
            resolve(url);
          }
        }, reject)
        .finally(() => {
          this._running--;
          this._next();
        });
    }
  }

  private _disposed = false;
  private _queue: {
    key: string;
    resolve: (url: string) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private _running = 0;
  private _urls = new Map<string, Promise<string>>();
}
