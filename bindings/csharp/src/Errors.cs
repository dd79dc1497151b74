using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Clarifai.API
{
    /// <summary>Everything a <c>clarifai_error</c> says, read once while it is alive.</summary>
    internal sealed class ErrorInfo
    {
        internal ClarifaiResult Result;
        internal string ResultName;
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
            var info = new ErrorInfo
            {
                Result = (ClarifaiResult)result,
                ResultName = Utf8.PtrToString(Errors.Native.clarifai_result_name(result)),
                Owner = owner,
                Pointer = err,
                RetryAfterSecs = -1,
                Description = string.Empty,
                Details = string.Empty,
                ReqId = string.Empty,
                MissingScopes = new string[0],
            };
            if (err == IntPtr.Zero)
            {
                // The C API always writes an error on failure; this is only a fallback.
                info.Message = info.ResultName;
                return info;
            }
            info.Message = Utf8.PtrToString(Errors.Native.clarifai_error_message(err));
            info.StatusCode = Errors.Native.clarifai_error_status_code(err);
            info.HttpStatus = Errors.Native.clarifai_error_http_status(err);
            info.Description = Utf8.PtrToString(Errors.Native.clarifai_error_description(err)) ?? string.Empty;
            info.Details = Utf8.PtrToString(Errors.Native.clarifai_error_details(err)) ?? string.Empty;
            info.ReqId = Utf8.PtrToString(Errors.Native.clarifai_error_req_id(err)) ?? string.Empty;
            int n = (int)Errors.Native.clarifai_error_missing_scopes_count(err);
            info.MissingScopes = new string[n];
            for (int i = 0; i < n; i++)
                info.MissingScopes[i] = Utf8.PtrToString(Errors.Native.clarifai_error_missing_scope(err, (UIntPtr)i));
            info.MissingEndpoint = Utf8.PtrToString(Errors.Native.clarifai_error_missing_endpoint(err));
            info.RetryAfterSecs = Errors.Native.clarifai_error_retry_after_secs(err);
            if (string.IsNullOrEmpty(info.Message))
                info.Message = info.ResultName;
            return info;
        }
    }

    /// <summary>Turns a failed result into the exception docs/errors.md names for its kind.</summary>
    internal static class Errors
    {
        /// <summary>
        /// The exception for a failed call; takes ownership of <paramref name="error"/> (kept by a
        /// <see cref="ClarifaiException"/> for GetHeader, freed otherwise). A cancelled call is
        /// .NET's <see cref="OperationCanceledException"/> for <paramref name="token"/>.
        /// </summary>
        internal static Exception From(uint result, ErrorHandle error, CancellationToken token = default(CancellationToken))
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
                ex = From(ErrorInfo.Read(result, p == IntPtr.Zero ? null : error, p), token);
            }
            finally
            {
                if (added)
                    error.DangerousRelease();
            }
            if (!(ex is ClarifaiException) && error != null)
                error.Dispose();
            return ex;
        }

        internal static Exception From(ErrorInfo info, CancellationToken token = default(CancellationToken))
        {
            switch (ClarifaiErrorKinds.Of(info.Result))
            {
                case ClarifaiErrorKind.InvalidArgument: return new ClarifaiArgumentException(info);
                case ClarifaiErrorKind.UnknownEndpoint: return new UnknownEndpointException(info);
                case ClarifaiErrorKind.Configuration: return new ClarifaiConfigurationException(info);
                case ClarifaiErrorKind.Api: return new ClarifaiApiException(info);
                case ClarifaiErrorKind.MissingScopes: return new MissingScopesException(info);
                case ClarifaiErrorKind.KeyNotFound: return new KeyNotFoundException(info);
                case ClarifaiErrorKind.KeyInvalid: return new InvalidKeyException(info);
                case ClarifaiErrorKind.InvalidRequest: return new InvalidRequestException(info);
                case ClarifaiErrorKind.PatRequired: return new PatRequiredException(info);
                case ClarifaiErrorKind.Throttled: return new ThrottledException(info);
                case ClarifaiErrorKind.NotFound: return new NotFoundException(info);
                case ClarifaiErrorKind.MethodNotAllowed: return new MethodNotAllowedException(info);
                case ClarifaiErrorKind.Transport: return new TransportException(info);
                case ClarifaiErrorKind.RotationIncomplete: return new RotationIncompleteException(info);
                case ClarifaiErrorKind.State: return new ClarifaiStateException(info);
                case ClarifaiErrorKind.Cancelled: return new OperationCanceledException(info.Message, token);
                default: return new ClarifaiException(info);
            }
        }

        /// <summary>Throws for any result but OK, disposing the error once it has been read.</summary>
        internal static void Check(uint result, ErrorHandle error, CancellationToken token = default(CancellationToken))
        {
            if (result == 0)
            {
                if (error != null)
                    error.Dispose();
                return;
            }
            throw From(result, error, token);
        }

        /// <summary>Errors are read through raw pointers: an error may be borrowed from a batch.</summary>
        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_result_name(uint result);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_error_message(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_error_status_code(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern ushort clarifai_error_http_status(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_error_description(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_error_details(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_error_req_id(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_error_missing_scopes_count(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_error_missing_scope(IntPtr err, UIntPtr index);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_error_missing_endpoint(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern long clarifai_error_retry_after_secs(IntPtr err);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_error_header(IntPtr err, byte[] name);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_error_free(IntPtr err);
        }
    }
}
