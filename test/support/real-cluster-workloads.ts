/** Workloads for the real cluster: Deployments whose pods kwok makes Ready, HPAs, and reading them back. */
import type { KubeClient, KubeObject } from './real-cluster-client';

/** A Deployment of `replicas` pods (image never pulled: kwok plays the kubelet) with CPU requests, so an HPA can target it. */
export function deploymentObject(namespace: string, name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name } },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: {
          automountServiceAccountToken: false,
          containers: [{ name: 'app', image: `registry.invalid/${name}:1`, resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
        },
      },
    },
  };
}

/** An autoscaling/v2 HPA on a Deployment's CPU (no metrics server here: it acts on minReplicas alone). */
export function hpaObject(namespace: string, name: string, minReplicas: number, maxReplicas: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

export interface DeploymentReplicas {
  spec: number;
  ready: number;
  updated: number;
}

export async function deploymentReplicas(client: KubeClient, namespace: string, name: string): Promise<DeploymentReplicas> {
  const d = await client.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
  return { spec: d.spec.replicas ?? 0, ready: d.status?.readyReplicas ?? 0, updated: d.status?.updatedReplicas ?? 0 };
}

/** Pods of a Deployment that kwok reports Ready. */
export async function readyPods(client: KubeClient, namespace: string, name: string): Promise<number> {
  const pods = await client.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`app.kubernetes.io/name=${name}`)}`);
  return (pods.items as Array<{ metadata: { deletionTimestamp?: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>).filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
}
