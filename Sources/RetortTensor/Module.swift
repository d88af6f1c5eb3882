// RetortTensor module.
