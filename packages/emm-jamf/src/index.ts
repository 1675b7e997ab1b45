// This package has no constructs yet: its README states its scope.
export {};
