import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Category } from '../../../core/model';
import { GroupedOptions, categoryGroups } from './common';

const cat = (code: string, name: string, parent: string | null): Category => ({ code, name, parent }) as Category;

describe('grouped options', () => {
  const categories = [cat('01', '市容环境', null), cat('0101', '乱堆乱放', '01'), cat('02', '公共安全', null), cat('0201', '消防隐患', '02'), cat('0102', '占道经营', '01')];

  it('groups the categories under their top-level group, in the reference order', () => {
    expect(categoryGroups(categories)).toEqual([
      { code: '01', name: '市容环境', children: [categories[1], categories[4]] },
      { code: '02', name: '公共安全', children: [categories[3]] },
    ]);
  });

  it('draws one optgroup per parent, with the whole group first only when asked', () => {
    const groups = categoryGroups(categories);
    expect(renderToStaticMarkup(<GroupedOptions groups={groups} />)).toBe(
      '<optgroup label="市容环境"><option value="0101">乱堆乱放</option><option value="0102">占道经营</option></optgroup>' +
        '<optgroup label="公共安全"><option value="0201">消防隐患</option></optgroup>',
    );
    expect(renderToStaticMarkup(<GroupedOptions groups={groups.slice(1)} whole />)).toBe(
      '<optgroup label="公共安全"><option value="02">公共安全（全部）</option><option value="0201">消防隐患</option></optgroup>',
    );
  });
});
