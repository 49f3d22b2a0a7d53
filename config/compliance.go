package config

// Compliance configures the compliance layer. Its settings arrive with that
// layer; the section is reserved so that configurations written today stay valid.
type Compliance struct{}

// complianceDefaults sets the compliance layer's defaults for a profile.
func complianceDefaults(c *Config, prod bool) {}

// validateCompliance checks the compliance section.
func (c *Config) validateCompliance(v *validator) {}
