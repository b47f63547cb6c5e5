import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from './App.vue';

function jsonResponse(body: unknown, init: ResponseInit = {}) {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
    ...init,
  });
}

describe('App', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows the title and asks the API for __typename', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({ data: { __typename: 'Query' } }));
    vi.stubGlobal('fetch', fetchMock);

    const wrapper = mount(App);
    expect(wrapper.get('h1').text()).toBe('Ledgerlink');
    expect(wrapper.get('[role="status"]').text()).toBe('Checking the API…');

    await flushPromises();

    expect(wrapper.get('[role="status"]').text()).toBe('API reachable');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
    });
    expect(JSON.parse(init.body as string)).toEqual({ query: '{ __typename }' });
  });

  it('shows the HTTP error when the API answers with a failure', async () => {
    vi.stubGlobal(
      'fetch',
      vi
        .fn()
        .mockResolvedValue(new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' })),
    );

    const wrapper = mount(App);
    await flushPromises();

    expect(wrapper.get('[role="status"]').text()).toContain(
      'API unreachable: HTTP 502 Bad Gateway',
    );
  });

  it('shows GraphQL errors', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse({ errors: [{ message: 'Not allowed' }] })),
    );

    const wrapper = mount(App);
    await flushPromises();

    expect(wrapper.get('[role="status"]').text()).toContain('API unreachable: Not allowed');
  });

  it('shows a network error and recovers on retry', async () => {
    const fetchMock = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(jsonResponse({ data: { __typename: 'Query' } }));
    vi.stubGlobal('fetch', fetchMock);

    const wrapper = mount(App);
    await flushPromises();
    expect(wrapper.get('[role="status"]').text()).toContain('API unreachable: Failed to fetch');

    await wrapper.get('button').trigger('click');
    await flushPromises();

    expect(wrapper.get('[role="status"]').text()).toBe('API reachable');
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
