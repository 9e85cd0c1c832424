// The town's register edits checked in core: masked values kept or refused, GB 11643,
// duplicates, the caller's grids, a point in its grid.
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone, maskText } from '../privacy/mask';
import { keepMasked, keepMaskedText } from '../privacy/keep-masked';
import { houseFromDraft, mediationFromDraft, personFromDraft, GRID_OUT_OF_SCOPE } from './edit';
import { makeIdNumber, SYNTHETIC_REGION } from './id-number';
import type { House, Person } from './types';

const GRID = '430624103001001';
const OTHER = '430624103002001';
const ID = makeIdNumber(SYNTHETIC_REGION, '19800101', 11);
const house: House = { id: 'h1', address: '测试路1号', grid: GRID, location: null, head: null, use: 'residential' };
const person: Person = { id: 'p1', name: '测试甲', idNumber: ID, phone: '19912345678', residence: 'registered', house: 'h1', grid: GRID, address: '测试路1号', organisation: null, tags: [], pools: [] };
const ctx = { gridProblem: (g: string) => (g === GRID ? null : GRID_OUT_OF_SCOPE), gridOfPoint: () => GRID };
const draft = { name: '测试甲', idNumber: maskIdNumber(ID), phone: maskPhone(person.phone), residence: 'registered' as const, house: 'h1', tags: ['hardship' as const], pools: [] };

describe('register edits', () => {
  it('keeps a masked value left as shown and refuses any other masked value', () => {
    expect(keepMasked('199****5678', '19912345678', maskPhone)).toEqual({ ok: true, value: '19912345678' });
    expect(keepMasked('199****0000', '19912345678', maskPhone)).toEqual({ ok: false });
    expect(keepMasked('199****5678', undefined, maskPhone)).toEqual({ ok: false });
    expect(keepMasked('13800001111', '19912345678', maskPhone)).toEqual({ ok: true, value: '13800001111' });
  });

  it('builds a person from a form with masked fields, refusing a bad check character, a duplicate, another grid', () => {
    const ok = personFromDraft(draft, { ...ctx, existing: person, house, idTaken: () => false });
    expect(ok).toEqual({ ok: true, value: expect.objectContaining({ idNumber: ID, phone: person.phone, tags: ['hardship'], grid: GRID, address: '测试路1号' }) });
    const bad = personFromDraft({ ...draft, idNumber: ID.slice(0, 17) + (ID.endsWith('0') ? '1' : '0') }, { ...ctx, existing: person, house, idTaken: () => false });
    expect(!bad.ok && bad.errors.join()).toContain('GB 11643');
    const other = makeIdNumber(SYNTHETIC_REGION, '19800101', 13);
    const dup = personFromDraft({ ...draft, idNumber: other }, { ...ctx, existing: person, house, idTaken: (x) => x === other });
    expect(!dup.ok && dup.errors.join()).toContain('已有此身份证号');
    const masked = personFromDraft({ ...draft, phone: '199****0000' }, { ...ctx, existing: person, house, idTaken: () => false });
    expect(!masked.ok && masked.errors.join()).toContain('电话号码不完整');
    const outside = personFromDraft(draft, { ...ctx, existing: person, house: { ...house, grid: OTHER }, idTaken: () => false });
    expect(!outside.ok && outside.errors.join()).toContain(GRID_OUT_OF_SCOPE);
  });

  it('refuses a duplicate address and a point outside the chosen grid; checks a mediation file', () => {
    const d = { address: '测试路2号', grid: GRID, location: { lon: 113, lat: 27 }, use: 'residential' as const };
    expect(houseFromDraft(d, { ...ctx, existing: null, addressTaken: () => false }).ok).toBe(true);
    const dup = houseFromDraft(d, { ...ctx, existing: null, addressTaken: () => true });
    expect(!dup.ok && dup.errors.join()).toContain('已有此地址');
    const off = houseFromDraft(d, { ...ctx, gridOfPoint: () => OTHER, existing: null, addressTaken: () => false });
    expect(!off.ok && off.errors.join()).toContain('坐标不在网格');
    const file = { grid: GRID, title: '邻里宅基地纠纷', parties: ['测试甲', '测试乙'], openedAt: '2026-12-01T00:00:00+08:00', status: 'resolved' as const, summary: '双方达成协议' };
    const fresh = { ...ctx, existing: null };
    expect(mediationFromDraft(file, fresh).ok).toBe(true);
    expect(mediationFromDraft({ ...file, grid: OTHER }, fresh).ok).toBe(false);
    expect(mediationFromDraft({ ...file, parties: ['测*'] }, fresh).ok).toBe(false);
  });

  it("keeps a mediation file's numbers when its masked text comes back; refuses an edit that would store them masked", () => {
    const stored = { id: 'm-1', grid: GRID, title: '宅基地纠纷', parties: ['测试甲'], openedAt: '2026-12-01T00:00:00+08:00', status: 'open' as const, summary: '甲方电话13812345678,已约谈' };
    const { id: _id, ...draft } = stored;
    const shown = maskText(stored.summary);
    expect(shown).not.toBe(stored.summary);
    const o = { ...ctx, existing: stored };
    // Sent back as shown: the stored text stays whole.
    const kept = mediationFromDraft({ ...draft, summary: shown }, o);
    expect(kept.ok && kept.value.summary).toBe(stored.summary);
    // Edited around the masked number: refused, it would be stored with stars.
    const lossy = mediationFromDraft({ ...draft, summary: `${shown},已调解成功` }, o);
    expect(!lossy.ok && lossy.errors.join()).toContain('调解结果含已遮蔽的号码');
    // Rewritten with the number in full, or without it: stored as written.
    const full = mediationFromDraft({ ...draft, summary: '甲方电话13812345678,已调解成功' }, o);
    expect(full.ok && full.value.summary).toBe('甲方电话13812345678,已调解成功');
    expect(mediationFromDraft({ ...draft, summary: '已调解成功' }, o).ok).toBe(true);
    expect(keepMaskedText('任意文字', undefined, maskText)).toEqual({ ok: true, value: '任意文字' });
  });
});
