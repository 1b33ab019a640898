/** Kubernetes objects for the stand-in tests: the shop-api Deployment and HPAs pointing at it. */
export const DEPLOY_PATH = '/apis/apps/v1/namespaces/shop/deployments/shop-api';
export const HPAS_PATH = '/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers';
export const HPA_PATH = `${HPAS_PATH}/shop-api`;

export function deployment(replicas: number, ready = replicas) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop-api', namespace: 'shop', uid: 'uid-shop-api', generation: 4, annotations: { 'deployment.kubernetes.io/revision': '4' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'shop-api' } },
      template: { metadata: { labels: { app: 'shop-api' } }, spec: { containers: [{ name: 'api', image: 'shop/api:1' }] } },
    },
    status: { replicas, readyReplicas: ready },
  };
}

export function hpa(name: string, min: number, max: number, target = 'shop-api') {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max },
    status: { currentReplicas: 3, desiredReplicas: 3 },
  };
}
