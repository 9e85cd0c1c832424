// 会商秘书 (and a leader at /#meeting): the weekly consultation meeting (会商, issue 10).
// The secretary builds the agenda, fixes the meeting's facts, presents and ends it into
// the minutes; a leader presents and decides. The screen is renderer/src/meeting.
import { MeetingScreen } from '../meeting/MeetingScreen';
import { RoleHeader } from '../roles/RoleHeader';
import '../console/console.css';

export function SecretaryApp() {
  return (
    <div className="console role-app">
      <RoleHeader title="会商" />
      <MeetingScreen />
    </div>
  );
}
