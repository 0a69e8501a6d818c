using WeakNas.Data;

namespace WeakNas.Tests.Data;

public class NasBench101ModelMetricsTests
{
    [Fact]
    public void Decodes_every_field_and_skips_unknown_ones()
    {
        byte[] message = TfRecordTestFile.Metrics(8_555_530, 5357.5,
        [
            TfRecordTestFile.Evaluation(0, 0, 0.1, 0.1, 0.1, "ckpt-0"),
            TfRecordTestFile.Evaluation(54, 880.5, 0.8, 0.75, 0.74, "ckpt-54"),
            TfRecordTestFile.Evaluation(108, 1768.9759521484375, 1.0, 0.9304887652397156, 0.925, "ckpt-108"),
        ], unknownField: true);
        var metrics = NasBench101ModelMetrics.Parse(message);
        Assert.Equal(8_555_530, metrics.TrainableParameters);
        Assert.Equal(5357.5, metrics.TotalTime);
        Assert.Equal(3, metrics.EvaluationData.Count);
        var final = metrics.Final!;
        Assert.Equal(108, final.CurrentEpoch);
        Assert.Equal(1768.9759521484375, final.TrainingTime);
        Assert.Equal(1.0, final.TrainAccuracy);
        Assert.Equal(0.9304887652397156, final.ValidationAccuracy);
        Assert.Equal(0.925, final.TestAccuracy);
        Assert.Equal("ckpt-108", final.CheckpointPath);
        Assert.Equal("ckpt-54", metrics.EvaluationData[1].CheckpointPath);
    }

    [Fact]
    public void Negative_int32_is_sign_extended()
    {
        Assert.Equal(-5, NasBench101ModelMetrics.Parse(TfRecordTestFile.Metrics(-5, 0, [])).TrainableParameters);
        Assert.Null(NasBench101ModelMetrics.Parse([]).Final);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x09 }, "runs past the end")]
    [InlineData(new byte[] { 0x10 }, "varint runs past the end")]
    [InlineData(new byte[] { 0x19, 0x00, 0x00 }, "8-byte value")]
    [InlineData(new byte[] { 0x11, 0, 0, 0, 0, 0, 0, 0, 0 }, "field 2 (trainable_parameters) has wire type 1")]
    [InlineData(new byte[] { 0x0B }, "wire type 3")]
    public void Malformed_messages_are_named(byte[] message, string expected)
    {
        var e = Assert.Throws<FormatException>(() => NasBench101ModelMetrics.Parse(message));
        Assert.Contains(expected, e.Message);
    }
}
