import { describe, expect, it } from 'vitest';

import { BlobURLCache } from '../src/imageFolders/blobCache';

/** A fetch whose answers the test releases one by one, recording what was asked when. */
function gatedFetch() {
  const asked: string[] = [];
  const gates = new Map<string, (blob: Blob | Error) => void>();
  const fetchBlob = (key: string) => {
    asked.push(key);
    return new Promise<Blob>((resolve, reject) => {
      gates.set(key, value =>
        value instanceof Error ? reject(value) : resolve(value)
      );
    });
  };
  const release = async (key: string, value: Blob | Error) => {
    gates.get(key)!(value);
    // Let the cache's promise callbacks run.
    await new Promise(resolve => setImmediate(resolve));
  };
  return { asked, fetchBlob, release };
}

describe('BlobURLCache', () => {
  it('runs at most `concurrency` fetches, in order, each key once', async () => {
    const { asked, fetchBlob, release } = gatedFetch();
    const cache = new BlobURLCache(fetchBlob, 2);
    const urls = ['a', 'b', 'c', 'a'].map(key => cache.get(key));
    expect(asked).toEqual(['a', 'b']);
    expect(cache.running).toBe(2);

    await release('a', new Blob(['A'], { type: 'image/png' }));
    expect(asked).toEqual(['a', 'b', 'c']);
    await release('b', new Blob(['B']));
    await release('c', new Blob(['C']));
    const [a, b, c, again] = await Promise.all(urls);
    expect(again).toBe(a);
    expect(new Set([a, b, c]).size).toBe(3);
    const blob = await (await fetch(a)).text();
    expect(blob).toBe('A');
    expect(cache.running).toBe(0);
    cache.dispose();
  });

  it('forgets a failed fetch so that asking again retries', async () => {
    const { asked, fetchBlob, release } = gatedFetch();
    const cache = new BlobURLCache(fetchBlob, 1);
    const first = cache.get('x');
    await release('x', new Error('404: no image x'));
    await expect(first).rejects.toThrow('404: no image x');
    const second = cache.get('x');
    expect(asked).toEqual(['x', 'x']);
    await release('x', new Blob(['X']));
    await expect(second).resolves.toMatch(/^blob:/);
    cache.dispose();
  });

  it('revokes its URLs and refuses work once disposed', async () => {
    const { fetchBlob, release } = gatedFetch();
    const cache = new BlobURLCache(fetchBlob, 1);
    const done = cache.get('a');
    const running = cache.get('b');
    const queued = cache.get('c');
    await release('a', new Blob(['A']));
    const url = await done;
    cache.dispose();
    await expect(queued).rejects.toThrow('closed');
    await release('b', new Blob(['B']));
    await expect(running).rejects.toThrow('closed');
    await expect(cache.get('d')).rejects.toThrow('closed');
    await new Promise(resolve => setImmediate(resolve));
    await expect(fetch(url)).rejects.toThrow();
  });
});
