// RetortNetworks module.
