using System;
using System.Runtime.InteropServices;

namespace Clarifai.API
{
    /// <summary>A bad argument the library refused before any request; carries the library's result.</summary>
    public class ClarifaiArgumentException : ArgumentException
    {
        internal ClarifaiArgumentException(ClarifaiResult result, string message) : base(message)
        {
            Result = result;
        }

        /// <summary>InvalidArgument, UnknownEndpoint or NullArgument.</summary>
        public ClarifaiResult Result { get; private set; }
    }

    /// <summary>Everything a <c>clarifai_error</c> says, read once while it is alive.</summary>
    internal sealed class ErrorInfo
    {
        internal ClarifaiResult Result;
        internal string Message;
        internal uint StatusCode;
        internal int HttpStatus;
        internal string Description;
        internal string Details;
        internal string ReqId;
        internal string[] MissingScopes;
        internal string MissingEndpoint;
        internal long RetryAfterSecs;

        // Kept so ClarifaiException.GetHeader can read the error later: either the error's own
        // handle or the batch it is borrowed from.
        internal SafeHandle Owner;
        internal IntPtr Pointer;

        internal static ErrorInfo Read(uint result, SafeHandle owner, IntPtr err)
        {
            var info = new ErrorInfo { Result = (ClarifaiResult)result, Owner = owner, Pointer = err, RetryAfterSecs = -1 };
            if (err == IntPtr.Zero)
            {
                // The C API always writes an error on failure; this is only a fallback.
                info.Message = ResultName(result);
                info.Description = info.Details = info.ReqId = string.Empty;
                info.MissingScopes = new string[0];
                return info;
            }
            info.Message = Utf8.PtrToString(Native.clarifai_error_message(err));
            info.StatusCode = Native.clarifai_error_status_code(err);
            info.HttpStatus = Native.clarifai_error_http_status(err);
            info.Description = Utf8.PtrToString(Native.clarifai_error_description(err)) ?? string.Empty;
            info.Details = Utf8.PtrToString(Native.clarifai_error_details(err)) ?? string.Empty;
            info.ReqId = Utf8.PtrToString(Native.clarifai_error_req_id(err)) ?? string.Empty;
            int n = (int)Native.clarifai_error_missing_scopes_count(err);
            info.MissingScopes = new string[n];
            for (int i = 0; i < n; i++)
                info.MissingScopes[i] = Utf8.PtrToString(Native.clarifai_error_missing_scope(err, (UIntPtr)i));
            info.MissingEndpoint = Utf8.PtrToString(Native.clarifai_error_missing_endpoint(err));
            info.RetryAfterSecs = Native.clarifai_error_retry_after_secs(err);
            if (string.IsNullOrEmpty(info.Message))
                info.Message = ResultName(result);
            return info;
        }

        internal static string ResultName(uint result)
        {
            return Utf8.PtrToString(Native.clarifai_result_name(result));
        }
    }

    internal static class Errors
    {
        /// <summary>The exception for a failed call; takes ownership of <paramref name="error"/>.</summary>
        internal static Exception From(uint result, ErrorHandle error)
        {
            bool added = false;
            Exception ex;
            try
            {
                IntPtr p = IntPtr.Zero;
                if (error != null && !error.IsInvalid)
                {
                    error.DangerousAddRef(ref added);
                    p = error.DangerousGetHandle();
                }
                ex = From(ErrorInfo.Read(result, p == IntPtr.Zero ? null : error, p));
            }
            finally
            {
                if (added)
                    error.DangerousRelease();
            }
            // A ClarifaiException keeps the error for GetHeader; nothing else needs it.
            if (!(ex is ClarifaiException) && error != null)
                error.Dispose();
            return ex;
        }

        internal static Exception From(ErrorInfo info)
        {
            switch (info.Result)
            {
                case ClarifaiResult.NullArgument:
                case ClarifaiResult.InvalidArgument:
                case ClarifaiResult.UnknownEndpoint:
                    return new ClarifaiArgumentException(info.Result, info.Message);
                case ClarifaiResult.InsufficientScopes:
                    return new MissingScopesException(info);
                case ClarifaiResult.KeyNotFound:
                    return new KeyNotFoundException(info);
                case ClarifaiResult.KeyInvalid:
                    return new InvalidKeyException(info);
                case ClarifaiResult.InvalidRequest:
                    return new InvalidRequestException(info);
                case ClarifaiResult.PatRequired:
                    return new PatRequiredException(info);
                case ClarifaiResult.Throttled:
                    return new ThrottledException(info);
                case ClarifaiResult.Connect:
                case ClarifaiResult.Dns:
                case ClarifaiResult.Timeout:
                case ClarifaiResult.Tls:
                case ClarifaiResult.BodyTooLarge:
                case ClarifaiResult.RedirectRefused:
                case ClarifaiResult.Io:
                case ClarifaiResult.MalformedResponse:
                    return new TransportException(info);
                case ClarifaiResult.MissingConfig:
                case ClarifaiResult.InsecureUrl:
                    return new ClarifaiConfigurationException(info);
                case ClarifaiResult.RotationIncomplete:
                    return new RotationIncompleteException(info);
                default:
                    // ApiError, NotFound, MethodNotAllowed, State, Panic: Result tells them apart.
                    return new ClarifaiException(info);
            }
        }

        /// <summary>Throws for any result but OK, disposing the error once it has been read.</summary>
        internal static void Check(uint result, ErrorHandle error)
        {
            if (result == 0)
            {
                if (error != null)
                    error.Dispose();
                return;
            }
            throw From(result, error);
        }
    }
}
