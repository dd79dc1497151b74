namespace Clarifai.API
{
    /// <summary>What a call did: the C library's <c>clarifai_result</c>, value for value.</summary>
    public enum ClarifaiResult : uint
    {
        Ok = 0,
        NullArgument = 1,
        InvalidArgument = 2,
        UnknownEndpoint = 3,
        MissingConfig = 4,
        ApiError = 5,
        InsufficientScopes = 6,
        KeyNotFound = 7,
        KeyInvalid = 8,
        InvalidRequest = 9,
        PatRequired = 10,
        Throttled = 11,
        NotFound = 12,
        MethodNotAllowed = 13,
        Connect = 14,
        Dns = 15,
        Timeout = 16,
        Tls = 17,
        BodyTooLarge = 18,
        RedirectRefused = 19,
        Io = 20,
        InsecureUrl = 21,
        MalformedResponse = 22,
        RotationIncomplete = 23,
        State = 24,
        Panic = 25,
    }
}
