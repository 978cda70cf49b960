package caravan.alert;

import java.util.List;

/** Pure logic over numbers: no I/O, so every detector is unit-tested with crafted windows. */
public interface Detector {
    List<Finding> evaluate(WindowStats current, History history);
}
