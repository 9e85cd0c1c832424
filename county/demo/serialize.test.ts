import { describe, expect, it } from 'vitest';
import { formatDatasetJson } from './serialize';

describe('formatDatasetJson', () => {
  const value = {
    town: { code: '430624103', parent: null, geometry: { type: 'Polygon', coordinates: [[[1, 2], [3, 4], [1, 2]], [[5, 6], [7, 8], [5, 6]]] } },
    workers: [{ id: 'w-0001', grids: ['a', 'b'], onDuty: true }],
    categories: [{ code: '01', finishLimit: { value: 5, unit: 'workDays' }, cooperating: undefined }],
    empty: [],
    none: {},
  };

  it('puts flat records and rings on one line each, nested structure indented', () => {
    expect(formatDatasetJson(value)).toBe(
      [
        '{',
        '  "town": {',
        '    "code": "430624103",',
        '    "parent": null,',
        '    "geometry": {',
        '      "type": "Polygon",',
        '      "coordinates": [',
        '        [[1,2],[3,4],[1,2]],',
        '        [[5,6],[7,8],[5,6]]',
        '      ]',
        '    }',
        '  },',
        '  "workers": [',
        '    {"id":"w-0001","grids":["a","b"],"onDuty":true}',
        '  ],',
        '  "categories": [',
        '    {"code":"01","finishLimit":{"value":5,"unit":"workDays"}}',
        '  ],',
        '  "empty": [],',
        '  "none": {}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('parses back to the same value, minus undefined fields', () => {
    expect(JSON.parse(formatDatasetJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('puts deeper records on several lines', () => {
    expect(formatDatasetJson({ a: { b: { c: { d: 1 } } } })).toBe('{\n  "a": {\n    "b": {"c":{"d":1}}\n  }\n}\n');
    expect(formatDatasetJson([[[[1]]]])).toBe('[\n  [\n    [[1]]\n  ]\n]\n');
  });
});
