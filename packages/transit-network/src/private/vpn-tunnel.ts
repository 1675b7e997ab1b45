import { aws_ec2 as ec2 } from 'aws-cdk-lib';

/**
 * The IKE and IPsec settings of every tunnel: IKEv2 only, AES-256, SHA-2 with 384 or 512
 * bits, and elliptic-curve Diffie-Hellman groups 20 (ECP-384) and 21 (ECP-521) in both
 * phases, so that each rekey has perfect forward secrecy. The lifetimes are the maximums
 * that AWS allows: 8 hours for phase 1 and 1 hour for phase 2.
 *
 * The tunnel starts negotiating as soon as it is created (`start`), and a dead peer
 * detection timeout after 30 seconds restarts the negotiation (`restart`) instead of
 * clearing the tunnel and waiting for the device.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html
 */
export const TUNNEL_CRYPTOGRAPHY: ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty = {
  ikeVersions: [{ value: 'ikev2' }],
  phase1EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
  phase2EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
  phase1IntegrityAlgorithms: [{ value: 'SHA2-384' }, { value: 'SHA2-512' }],
  phase2IntegrityAlgorithms: [{ value: 'SHA2-384' }, { value: 'SHA2-512' }],
  phase1DhGroupNumbers: [{ value: 20 }, { value: 21 }],
  phase2DhGroupNumbers: [{ value: 20 }, { value: 21 }],
  phase1LifetimeSeconds: 28800,
  phase2LifetimeSeconds: 3600,
  dpdTimeoutSeconds: 30,
  dpdTimeoutAction: 'restart',
  startupAction: 'start',
};

