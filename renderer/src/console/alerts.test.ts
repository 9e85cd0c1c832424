import { describe, expect, it } from 'vitest';
import { detectAlerts, loudestAlert, markOwn, mergeAlerts, newWatchState, type Alert } from './alerts';
import { MINUTE, T0, calendar, reported } from './test-events';

describe('alerts', () => {
  it('stays quiet on the first look, then alerts once for an urgent arrival', () => {
    const state = newWatchState();
    expect(detectAlerts(state, [reported('old', T0, 'urgent')], T0, calendar)).toEqual([]);
    const urgent = reported('new', T0 + MINUTE, 'critical');
    const alerts = detectAlerts(state, [reported('old', T0, 'urgent'), urgent, reported('calm', T0 + MINUTE)], T0 + MINUTE, calendar);
    expect(alerts.map((a) => [a.kind, a.eventId, a.text])).toEqual([['urgent', 'new', '特急事件：垃圾乱堆乱放']]);
    expect(detectAlerts(state, [urgent], T0 + 2 * MINUTE, calendar)).toEqual([]);
  });

  it('raises no arrival alert for an urgent event entered at this console, but still watches its clocks', () => {
    const state = newWatchState();
    expect(detectAlerts(state, [], T0, calendar)).toEqual([]);
    markOwn(state, 'mine');
    const mine = reported('mine', T0, 'critical');
    expect(detectAlerts(state, [mine], T0 + MINUTE, calendar)).toEqual([]);
    expect(detectAlerts(state, [mine], T0 + 31 * MINUTE, calendar).map((a) => [a.kind, a.eventId])).toEqual([['overdue', 'mine']]);
    // Another console's urgent report still rings here.
    expect(detectAlerts(state, [reported('theirs', T0 + 32 * MINUTE, 'urgent')], T0 + 32 * MINUTE, calendar).map((a) => a.kind)).toEqual(['urgent']);
  });

  it('alerts when a deadline turns amber, then red, once each', () => {
    const state = newWatchState();
    const e = reported('e1', T0); // 30-minute accept limit: amber from 24 min, red after 30
    expect(detectAlerts(state, [e], T0 + MINUTE, calendar)).toEqual([]);
    expect(detectAlerts(state, [e], T0 + 10 * MINUTE, calendar)).toEqual([]);
    const amber = detectAlerts(state, [e], T0 + 25 * MINUTE, calendar);
    expect(amber.map((a) => [a.kind, a.text])).toEqual([['warning', '受理时限即将到期：垃圾乱堆乱放']]);
    expect(detectAlerts(state, [e], T0 + 26 * MINUTE, calendar)).toEqual([]);
    const red = detectAlerts(state, [e], T0 + 31 * MINUTE, calendar);
    expect(red.map((a) => [a.kind, a.key])).toEqual([['overdue', 'e1/accept/2']]);
    expect(detectAlerts(state, [e], T0 + 40 * MINUTE, calendar)).toEqual([]);
  });
});

describe('mergeAlerts and loudestAlert', () => {
  const alert = (key: string, kind: Alert['kind']): Alert => ({ key, kind, eventId: key, code: key, title: key, text: key, at: 0 });

  it('puts new alerts first (newest first), drops ones already listed, keeps at most max', () => {
    const prev = [alert('b', 'warning'), alert('a', 'urgent')];
    const merged = mergeAlerts(prev, [alert('a', 'urgent'), alert('c', 'warning'), alert('d', 'overdue')], 3);
    expect(merged.map((a) => a.key)).toEqual(['d', 'c', 'b']);
  });

  it('picks a red deadline over an urgent arrival over the rest', () => {
    expect(loudestAlert([alert('w', 'warning'), alert('u', 'urgent'), alert('o', 'overdue')]).key).toBe('o');
    expect(loudestAlert([alert('w', 'warning'), alert('u', 'urgent')]).key).toBe('u');
    expect(loudestAlert([alert('w', 'warning'), alert('x', 'warning')]).key).toBe('w');
  });
});
