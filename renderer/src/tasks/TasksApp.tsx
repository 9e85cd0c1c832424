// 我的任务: a department operator's screen. The events assigned to their department
// (the service scopes events.list to it), each with what the workflow allows them now:
// 反馈 (the handling, with photos), 退回 (with a reason), 申请延期, 批注.
import { useReference } from '../console/reference';
import { EventWorkspace } from '../roles/EventWorkspace';
import { TASK_TABS } from '../roles/workspace-model';
import { useSession } from '../session/context';

export function TasksApp() {
  return <EventWorkspace title="我的任务" tabs={TASK_TABS} note={<DepartmentNote />} />;
}

function DepartmentNote() {
  const { user } = useSession();
  const ref = useReference();
  const name = user.departmentId ? (ref.department.get(user.departmentId)?.name ?? user.departmentId) : '本部门';
  return <>派给{name}的事件：处置后填写反馈（可附现场照片）；不属本部门职责的请退回并说明原因；不能按期办结的请申请延期。</>;
}
