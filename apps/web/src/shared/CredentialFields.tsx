/**
 * The User name and Password fields of the two dialogs that ask for credentials: Sign in, and
 * Connect to Server's last step. The user name takes the dialog's first focus.
 */
export function CredentialFields({
  userName,
  password,
  onUserNameChange,
  onPasswordChange,
}: {
  userName: string;
  password: string;
  onUserNameChange: (value: string) => void;
  onPasswordChange: (value: string) => void;
}) {
  return (
    <>
      <label className="field">
        <span>User name:</span>
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={userName}
          onChange={(e) => onUserNameChange(e.target.value)}
          data-autofocus
        />
      </label>
      <label className="field">
        <span>Password:</span>
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => onPasswordChange(e.target.value)}
        />
      </label>
    </>
  );
}
