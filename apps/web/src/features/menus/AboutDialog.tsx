import { useQuery } from '@tanstack/react-query';
import { hostQuery } from '../../api/host';
import { MessageDialog } from '../../shared/MessageDialog';

/**
 * Help > About: the product and the host it manages. (MMC's Help menu has "About Microsoft
 * Management Console..."; no MMC runs here, so the entry is about this console instead, in its
 * own words.)
 */
export function AboutDialog({ onClose }: { onClose: () => void }) {
  const { data: host } = useQuery(hostQuery());
  return (
    <MessageDialog title="About Hyper-V Manager" onClose={onClose} icon="info">
      <p className="about-product">Hyper-V Manager for the web</p>
      <p>
        Manages virtual machines and their checkpoints on{' '}
        <bdi>{host?.name ?? 'the host this server runs'}</bdi>, in the browser.
      </p>
    </MessageDialog>
  );
}
