//! The emulator's own response headers, for conformance tests in any language.

/// The method and path the server saw, on every response.
pub const ROUTE_HEADER: &str = "x-clarifai-emulator-route";
/// The RPC the path routed to, when it routed.
pub const ENDPOINT_HEADER: &str = "x-clarifai-emulator-endpoint";
/// The number of the connection that carried the request (from 1, in the order accepted).
pub const CONNECTION_HEADER: &str = "x-clarifai-emulator-connection";
