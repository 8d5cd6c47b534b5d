import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aCheckpoint, checkpointId } from '../../test/fixtures';
import { ConsistencyBadge } from './ConsistencyBadge';

describe('ConsistencyBadge', () => {
  it('shows the checker verdict with an accessible description and the checker detail as tooltip', () => {
    render(
      <ConsistencyBadge
        checkpoint={aCheckpoint({
          id: checkpointId('c1'),
          kind: 'Production',
          consistency: 'ApplicationConsistent',
          consistencyDetail: 'SQL Server closed cleanly at LSN 21',
        })}
      />,
    );
    const badge = screen.getByTestId('consistency-c1');
    expect(badge).toHaveTextContent('App-consistent');
    expect(badge).toHaveAccessibleName(/Application-consistent: .* closed cleanly at LSN 21/);
    expect(badge).toHaveAttribute('title', expect.stringContaining('LSN 21'));
  });

  it('shows a file-system consistent Production checkpoint as such', () => {
    render(<ConsistencyBadge checkpoint={aCheckpoint({ consistency: 'FileSystemConsistent' })} />);
    expect(screen.getByText('FS-consistent')).toBeInTheDocument();
  });

  it('shows nothing for a blank disk', () => {
    const { container } = render(<ConsistencyBadge checkpoint={aCheckpoint()} />);
    expect(container).toBeEmptyDOMElement();
  });
});
