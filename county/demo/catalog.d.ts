import type { Category, Department } from '../../core/model';
/** Stable ASCII ids: other modules, fixtures and the demo town refer to them. */
export declare const DEPT: {
    readonly zongzhi: "dept-zz";
    readonly police: "dept-pcs";
    readonly land: "dept-gt";
    readonly environment: "dept-hb";
    readonly safety: "dept-aj";
    readonly civil: "dept-mz";
    readonly power: "dept-gd";
    readonly service: "dept-bm";
    readonly agriculture: "dept-ny";
    readonly finance: "dept-cj";
    readonly enforcement: "dept-zf";
    readonly habitat: "dept-rj";
    readonly construction: "dept-xj";
    readonly hotline: "dept-12345";
};
export declare const DEMO_CATEGORIES: Category[];
/** Each department with the category codes it leads, derived so the two tables cannot drift. */
export declare const DEMO_DEPARTMENTS: Department[];
