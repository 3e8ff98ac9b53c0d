complete -c kubectl-osb-describe -s l -l selector -d 'Describe every object of the kind matching this label selector, as kubectl describe -l' -r
complete -c kubectl-osb-describe -s o -l output -d 'Print the object itself instead: yaml or json' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-describe -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb-describe -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-describe -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-describe -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-describe -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-describe -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-describe -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-describe -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-describe -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-describe -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-describe -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-describe -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-describe -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-describe -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-describe -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-describe -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-describe -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-describe -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-describe -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-describe -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-describe -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-describe -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-describe -l broker -d 'Ask the broker too: its view beside the catalog\'s, and the verdict (as kubectl osb broker status)'
complete -c kubectl-osb-describe -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-describe -s V -l version -d 'Print version'
