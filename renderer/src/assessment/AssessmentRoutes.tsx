// The assessment's screens under their hash routes (#/assessment, #/analysis, #/report),
// loaded on demand by the session gate for the roles that read them.
import { lazy } from 'react';
import { AssessmentApp } from './AssessmentApp';
import type { AssessmentRoute } from './drill';

const AnalysisApp = lazy(() => import('../analysis/AnalysisApp').then((m) => ({ default: m.AnalysisApp })));
const ReportPage = lazy(() => import('./ReportPage').then((m) => ({ default: m.ReportPage })));

export function AssessmentRoutes({ route }: { route: AssessmentRoute }) {
  if (route === 'analysis') return <AnalysisApp />;
  if (route === 'report') return <ReportPage />;
  return <AssessmentApp />;
}
