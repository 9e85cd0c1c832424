// The links between the assessment screens, and back to the role's own screen.
import type { AssessmentRoute } from './drill';

const LINKS: ReadonlyArray<[AssessmentRoute, string]> = [
  ['assessment', '考核评估'],
  ['analysis', '分析研判'],
  ['report', '月度报告'],
];

export function AssessmentNav({ current }: { current: AssessmentRoute }) {
  return (
    <nav className="assess-nav" aria-label="考核与分析">
      {LINKS.map(([route, label]) => (
        <a key={route} href={`#/${route}`} className={route === current ? 'on' : undefined} aria-current={route === current ? 'page' : undefined}>
          {label}
        </a>
      ))}
      <a href="#/">返回</a>
    </nav>
  );
}
