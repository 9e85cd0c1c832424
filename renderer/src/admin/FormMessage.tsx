// The one line under an admin form saying how it went: a status when it worked, an alert when not.
export interface FormResult {
  ok: boolean;
  text: string;
}

export function FormMessage({ message }: { message: FormResult | null }) {
  if (!message) return null;
  return (
    <p className={message.ok ? 'notice-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </p>
  );
}
