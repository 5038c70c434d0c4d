// The MegaPortraits network is built on the generic network parts; a client of `Avatar` gets
// `Weights`, `StageRecorder`, `ParameterSpec`... without importing NetworkCore itself.
@_exported import NetworkCore
