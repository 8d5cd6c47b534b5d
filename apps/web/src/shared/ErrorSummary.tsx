import { errorMessage, isApiError } from '../api/client';

interface ErrorSummaryProps {
  /** What failed, in the product's words ("The changes could not be applied."). */
  summary: string;
  error: unknown;
}

/** A dialog's failure line plus the server's own message (and its code, for support). */
export function ErrorSummary({ summary, error }: ErrorSummaryProps) {
  if (error === null || error === undefined) return null;
  return (
    <div role="alert" className="error-summary">
      <span className="error-icon" aria-hidden="true">
        ✖
      </span>
      <div>
        <div className="error-summary-line">{summary}</div>
        <div className="error-detail">{errorMessage(error)}</div>
        {isApiError(error) && <div className="error-code">Error code: {error.code}</div>}
      </div>
    </div>
  );
}
