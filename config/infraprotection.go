package config

// InfrastructureProtection configures the infrastructure-protection layer. Its settings arrive with that
// layer; the section is reserved so that configurations written today stay valid.
type InfrastructureProtection struct{}

// infraprotectionDefaults sets the infrastructure-protection layer's defaults for a profile.
func infraprotectionDefaults(c *Config, prod bool) {}

// validateInfrastructureProtection checks the infrastructureProtection section.
func (c *Config) validateInfrastructureProtection(v *validator) {}
