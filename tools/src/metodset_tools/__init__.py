"""Development tooling of Metodset: the `metodset` command (run the local stack, mint development tokens,
generate contracts). It may import the services; the runtime kit and services never import it, and the
production image does not contain it."""
