package config

// Response configures the response layer. Its settings arrive with that
// layer; the section is reserved so that configurations written today stay valid.
type Response struct{}

// responseDefaults sets the response layer's defaults for a profile.
func responseDefaults(c *Config, prod bool) {}

// validateResponse checks the response section.
func (c *Config) validateResponse(v *validator) {}
