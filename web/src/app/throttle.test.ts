import { ApolloLink, execute, gql, Observable, type FetchResult } from '@apollo/client/core';
import { describe, expect, it } from 'vitest';
import { throttledRetryAfterMs, throttleRetryLink } from './throttle';

const throttled = (retryAfter: number) =>
  Object.assign(new Error('Response not successful: Received status code 429'), {
    statusCode: 429,
    result: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', retryAfter } }] },
  });

/** A server that answers THROTTLED `times` times, then data; counts the requests it got. */
function server(times: number, retryAfter = 0) {
  let calls = 0;
  const link = new ApolloLink(
    () =>
      new Observable<FetchResult>((observer) => {
        calls++;
        if (calls <= times) observer.error(throttled(retryAfter));
        else {
          observer.next({ data: { ok: true } });
          observer.complete();
        }
      }),
  );
  return { link, calls: () => calls };
}

function run(link: ApolloLink, document: string): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    execute(link, { query: gql(document) }).subscribe({ next: resolve, error: reject });
  });
}

describe('throttled requests', () => {
  it('reads the wait from a THROTTLED answer; other errors are not throttling', () => {
    expect(throttledRetryAfterMs(throttled(4))).toBe(4000);
    expect(throttledRetryAfterMs(new Error('network down'))).toBeNull();
    expect(throttledRetryAfterMs({ statusCode: 500 })).toBeNull();
  });

  it('a read is sent again after the wait and its data arrives', async () => {
    const s = server(2);
    const result = await run(ApolloLink.from([throttleRetryLink(), s.link]), '{ ok }');
    expect(result.data).toEqual({ ok: true });
    expect(s.calls()).toBe(3);
  });

  it('a read gives up after three retries and the error reaches the screen', async () => {
    const s = server(10);
    await expect(run(ApolloLink.from([throttleRetryLink(), s.link]), '{ ok }')).rejects.toThrow(
      /429/,
    );
    expect(s.calls()).toBe(4);
  });

  it('a wait longer than 15 s is not waited for', async () => {
    const s = server(1, 60);
    await expect(run(ApolloLink.from([throttleRetryLink(), s.link]), '{ ok }')).rejects.toThrow(
      /429/,
    );
    expect(s.calls()).toBe(1);
  });

  it('a mutation is never sent again', async () => {
    const s = server(1);
    await expect(
      run(ApolloLink.from([throttleRetryLink(), s.link]), 'mutation { ok }'),
    ).rejects.toThrow(/429/);
    expect(s.calls()).toBe(1);
  });
});
