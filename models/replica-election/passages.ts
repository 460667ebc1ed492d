import type { SourceRef } from '../../src/index.js';

/** Passages of the postmortem the election rests on, quoted exactly. */
export const PASSAGES = {
  authority: {
    section: 'Overview of EBS System',
    quote:
      'These control plane services also act as the authority to the EBS clusters when they elect primary replicas for each volume in the cluster (for consistency, there must only be a single primary replica for each volume at any time).',
  },
  blocked: {
    section: 'Overview of EBS System',
    quote: "Also, when data on a customer's volume is being re-mirrored, access to that data is blocked until the system has identified a new primary (or writable) replica.",
  },
  holdData: {
    section: 'Overview of EBS System',
    quote: 'While data is being re-mirrored, all nodes that have copies of the data hold onto the data until they can confirm that another node has taken ownership of their portion.',
  },
  negotiation: {
    section: 'Primary Outage',
    quote:
      'When data for a volume needs to be re-mirrored, a negotiation must take place between the EC2 instance, the EBS nodes with the volume data, and the EBS control plane (which acts as an authority in this process)',
  },
  consistency: { section: 'Primary Outage', quote: 'This provides strong consistency of EBS volumes.' },
  cut: {
    section: 'Primary Outage',
    quote: 'At 8:20 AM PDT, the team began disabling all communication between the degraded EBS cluster in the affected Availability Zone and the EBS control plane.',
  },
  stuck: {
    section: 'Recovering EBS in the Affected Availability Zone',
    quote:
      'While the restored volumes were fully replicated, not all of them immediately became "unstuck" from the perspective of the attached EC2 instances because some were blocked waiting for the EBS control plane to be contactable, so they could safely re-establish a connection with the EC2 instance and elect a new writable copy.',
  },
  perCluster: {
    section: 'Impact to Multiple Availability Zones',
    quote:
      'By moving more functionality out of the EBS control plane and creating per-EBS cluster deployments of these services (which run in the same Availability Zone as the EBS cluster they are supporting), we can provide even better Availability Zone isolation for the EBS control plane.',
  },
  assumesFailed: {
    section: 'Overview of EBS System',
    quote: 'When a node loses connectivity to a node to which it is replicating data to, it assumes the other node failed.',
  },
} satisfies Record<string, SourceRef>;
