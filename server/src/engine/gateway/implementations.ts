// What particular Gateway API implementations do where the API leaves the choice to them, read in
// their sources and documentation. Keyed by the GatewayClass's spec.controllerName; an implementation
// not listed is assumed to do what the API's core text says.

/** Implementations that read a listener certificate Secret's tls.crt and tls.key whatever the Secret's
 * type, so that an Opaque Secret serves: Traefik (pkg/provider/kubernetes/gateway reads the keys with
 * no type check), Contour (internal/dag/secret.go validTLSSecret takes kubernetes.io/tls or Opaque) and
 * Istio (reads tls.crt/tls.key, or cert/key, of any Secret) and Kong's ingress controller
 * (internal/controllers/gateway/gateway_utils.go isTLSSecretValid checks the two keys). Envoy Gateway (internal/gatewayapi/
 * validate.go: "must be of type kubernetes.io/tls") and NGINX Gateway Fabric (internal/controller/
 * state/resolver/secrets.go: "unsupported secret type") refuse any other type. */
const OPAQUE_CERTIFICATE_READERS: Readonly<Record<string, string>> = {
  'traefik.io/gateway-controller': 'Traefik',
  'projectcontour.io/gateway-controller': 'Contour',
  'istio.io/gateway-controller': 'Istio',
  'konghq.com/kic-gateway-controller': 'Kong',
};

/** The implementation's name when it serves a listener certificate from an Opaque Secret. */
export function readsOpaqueCertificate(controllerName: string | undefined): string | undefined {
  return controllerName === undefined ? undefined : OPAQUE_CERTIFICATE_READERS[controllerName];
}

/** The API group of the AWS Load Balancer Controller's parameters (LoadBalancerConfiguration): a
 * Gateway whose spec.infrastructure.parametersRef is of this group is the controller's, which takes an
 * HTTPS listener's certificates from that configuration (listenerConfigurations defaultCertificate,
 * certificates) or from ACM by host name, never from tls.certificateRefs
 * (docs/guide/gateway/l7gateway.md: "ListenerTLSConfig - CertificateRefs ... Use LB Config"). */
export const AWS_GATEWAY_PARAMETERS_GROUP = 'gateway.k8s.aws';

/** The GatewayClasses istiod creates by itself (their controllerName is istio.io/gateway-controller, or
 * istio.io/mesh-controller for waypoints and east-west gateways): a Gateway of one of them is Istio's. */
export const ISTIO_GATEWAY_CLASSES: ReadonlySet<string> = new Set([
  'istio',
  'istio-remote',
  'istio-waypoint',
  'istio-east-west',
]);

/** Listener protocols an implementation defines beyond the API's five, by the GatewayClass names it
 * answers to: Istio's HBONE (pkg/config/protocol/instance.go), which its waypoints and east-west
 * gateways listen with (pilot/pkg/config/kube/gateway/conversion.go: port 15008, protocol HBONE). */
export function definesProtocol(gatewayClassName: string | undefined, protocol: string): boolean {
  return (
    protocol === 'HBONE' && gatewayClassName !== undefined && ISTIO_GATEWAY_CLASSES.has(gatewayClassName)
  );
}
