// Kiosque newsroom: progressive enhancement for the admin pages.
