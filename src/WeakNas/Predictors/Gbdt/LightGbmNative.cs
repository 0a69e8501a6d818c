using System.Runtime.InteropServices;

namespace WeakNas.Predictors.Gbdt;

/// <summary>
/// The few entry points of LightGBM's C API (c_api.h) the gradient-boosted-tree regressor uses. The native library
/// comes from the LightGBM NuGet package (linux-x64, osx-x64, win-x64).
/// </summary>
internal static partial class LightGbmNative
{
    private const string Library = "lib_lightgbm";

    public const int DTypeFloat32 = 0;
    public const int DTypeFloat64 = 1;
    public const int PredictNormal = 0;

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial IntPtr GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int DatasetCreateFromMat(float* data, int dataType, int rows, int columns, int isRowMajor,
        string parameters, IntPtr reference, out IntPtr dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int DatasetSetField(IntPtr dataset, string field, float* data, int count, int dataType);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    public static partial int DatasetFree(IntPtr dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterCreate(IntPtr dataset, string parameters, out IntPtr booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    public static partial int BoosterUpdateOneIter(IntPtr booster, out int isFinished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetCurrentIteration")]
    public static partial int BoosterGetCurrentIteration(IntPtr booster, out int iteration);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int BoosterPredictForMat(IntPtr booster, float* data, int dataType, int rows, int columns, int isRowMajor,
        int predictType, int startIteration, int iterations, string parameters, out long length, double* result);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterSaveModelToString")]
    public static unsafe partial int BoosterSaveModelToString(IntPtr booster, int startIteration, int iterations, int importanceType,
        long bufferLength, out long length, byte* buffer);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    public static partial int BoosterFree(IntPtr booster);

    /// <summary>Throws LightGBM's own message when a call failed (nonzero status).</summary>
    public static void Check(int status, string call)
    {
        if (status == 0) return;
        string message = Marshal.PtrToStringUTF8(GetLastError()) ?? "unknown error";
        throw new InvalidOperationException($"LightGBM {call} failed: {message}");
    }
}

/// <summary>A LightGBM booster, freed when the model is collected or disposed.</summary>
internal sealed class BoosterHandle : SafeHandle
{
    public BoosterHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => LightGbmNative.BoosterFree(handle) == 0;
}
