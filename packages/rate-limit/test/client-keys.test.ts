import { describe, expect, it } from 'vitest';
import { accountKeyFromBody } from '../src/account-key.js';
import { clientAddressKey } from '../src/client-address.js';

describe('client address key', () => {
  it('R-RL-1: IPv4 as is; IPv4-mapped IPv6 as its IPv4', () => {
    expect(clientAddressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('::ffff:cb00:7109')).toBe('203.0.113.9');
  });

  it('R-RL-1: IPv6 addresses of one /64 share a key; another /64 does not', () => {
    const a = clientAddressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    expect(a).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(clientAddressKey('2001:0db8:0001:0002::1')).toBe(a);
    expect(clientAddressKey('2001:DB8:1:2:FFFF::9%eth0')).toBe(a);
    expect(clientAddressKey('2001:db8:1:3::1')).not.toBe(a);
    expect(clientAddressKey('::1')).toBe('0:0:0:0:0:0:0:0/64');
    expect(clientAddressKey('2001:db8::1', 128)).toBe('2001:db8:0:0:0:0:0:1');
    expect(clientAddressKey('2001:db8:abcd:ef12::1', 56)).toBe('2001:db8:abcd:ef00:0:0:0:0/56');
  });

  it('anything else is kept (lower-cased), never thrown on', () => {
    expect(clientAddressKey('Unknown')).toBe('unknown');
  });
});

describe('account key', () => {
  it('R-RL-1: one account, however it is spelled, is one key; no address in clear', () => {
    const key = accountKeyFromBody(Buffer.from(JSON.stringify({ email: 'Ada@Example.org ', password: 'x' })));
    expect(key).toBeDefined();
    expect(key).toBe(accountKeyFromBody({ email: 'ada@example.org' }));
    expect(key).toBe(accountKeyFromBody('{"email":"ADA@EXAMPLE.ORG"}'));
    expect(key).not.toContain('example');
    expect(accountKeyFromBody({ email: 'bob@example.org' })).not.toBe(key);
  });

  it('no account in the body → undefined (the per-account policy does not apply)', () => {
    expect(accountKeyFromBody(Buffer.from('{"refreshToken":"abc"}'))).toBeUndefined();
    expect(accountKeyFromBody(Buffer.from('not json'))).toBeUndefined();
    expect(accountKeyFromBody(Buffer.from('[1,2]'))).toBeUndefined();
    expect(accountKeyFromBody({ email: 42 })).toBeUndefined();
    expect(accountKeyFromBody({ email: '   ' })).toBeUndefined();
    expect(accountKeyFromBody(undefined)).toBeUndefined();
    expect(accountKeyFromBody(Buffer.alloc(0))).toBeUndefined();
  });
});
