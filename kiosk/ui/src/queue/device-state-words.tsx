import type { DeviceStatusView } from '../../../../shared/contract/kiosk-api';
import { MessageText, useT } from '../i18n';

/**
 * What the device bar says of one device: its fault in words when the kiosk knows them (a printer jam in
 * the failed job's own words, issue 16), else its state ("OK", "Fault"…).
 */
export function DeviceStateWords({ device }: { device: DeviceStatusView }) {
  const t = useT();
  return device.message ? <MessageText message={device.message} /> : <>{t.key(`devicestate${device.state}`)}</>;
}
