/**
 * The Lua twins of algorithms.ts. Each runs atomically inside Redis (a
 * script is never interleaved with another command), so concurrent requests
 * from any number of gateway instances read and write one consistent state.
 * Time comes from Redis (`TIME`), not from the callers, so instances with
 * skewed clocks still agree. One key per call: Redis Cluster safe.
 *
 * Both return {allowed (0|1), remaining, reset_ms, retry_after_ms}; numbers
 * are rounded in the script because Redis truncates Lua numbers to integers.
 */

const PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end
local limit = tonumber(ARGV[1])
local size = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
`;

/** GCRA: the key holds the theoretical arrival time (ms, full precision) and expires when the quota is full again. */
export const GCRA_SCRIPT = `${PRELUDE}
local emission = size / limit
local tat = now
local stored = tonumber(redis.call('GET', KEYS[1]) or '')
if stored and stored > now then tat = stored end
local new_tat = tat + emission * cost
local allow_at = new_tat - size
if allow_at - now > 0.01 then
  return {0, 0, math.ceil(tat - now), math.max(1, math.ceil(allow_at - now))}
end
local ttl = math.max(1, math.ceil(new_tat - now))
redis.call('SET', KEYS[1], string.format('%.17g', new_tat), 'PX', ttl)
local remaining = math.floor((size - (new_tat - now) + 0.01) / emission)
if remaining < 0 then remaining = 0 end
return {1, remaining, ttl, 0}
`;

/** Sliding-window counter: a hash {w = window index, c = current count, p = previous count}. */
export const SLIDING_WINDOW_SCRIPT = `${PRELUDE}
local window = math.floor(now / size)
local elapsed = now - window * size
local state = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local stored_window = tonumber(state[1])
local current = 0
local previous = 0
if stored_window == window then
  current = tonumber(state[2]) or 0
  previous = tonumber(state[3]) or 0
elseif stored_window == window - 1 then
  previous = tonumber(state[2]) or 0
end
local estimate = previous * (size - elapsed) / size + current
if estimate + cost > limit + 1e-9 then
  local wait
  if current + cost <= limit then
    wait = size - elapsed - (limit - current - cost) * size / previous
  else
    wait = size - elapsed + math.max(0, size - (limit - cost) * size / current)
  end
  local retry = math.max(1, math.ceil(wait))
  return {0, 0, retry, retry}
end
current = current + cost
redis.call('HSET', KEYS[1], 'w', window, 'c', current, 'p', previous)
redis.call('PEXPIRE', KEYS[1], math.ceil(2 * size - elapsed))
local remaining = math.floor(limit - estimate - cost + 1e-9)
if remaining < 0 then remaining = 0 end
return {1, remaining, math.ceil(size - elapsed), 0}
`;
