// A form's refusals, one line each, announced to screen readers: the same list under every
// form that shows several errors at once (plans, teams and resources).

export function FormErrors({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="form-error" role="alert">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}
