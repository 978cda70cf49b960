package caravan.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import caravan.ops.Caravan;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of the production classes (see each package-info): dependencies point down
 * only, from the roof ({@code ops}) through the stages to the ground floor ({@code event},
 * {@code common}, {@code search}), and no two packages depend on each other.
 */
class LayeringTest {
    private static final String[] GROUND_FLOOR = {"caravan.event..", "caravan.common..", "caravan.search.."};
    private static final String[] STAGES = {"caravan.ship..", "caravan.parse..", "caravan.enrich..", "caravan.index..",
            "caravan.alert..", "caravan.api.."};

    /** Production classes only: tests may reach across the layers to set a stage up. */
    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // target/classes, where the production classes are compiled: neither the tests nor the devstack
        main = new ClassFileImporter().importUrl(Caravan.class.getProtectionDomain().getCodeSource().getLocation());
    }

    static void check(ArchRule rule) {
        rule.check(main);
    }

    @Test
    void theGroundFloorImportsNoStageAndNotTheRoof() {
        check(noClasses().that().resideInAnyPackage(GROUND_FLOOR)
                .should().dependOnClassesThat().resideInAnyPackage(STAGES)
                .orShould().dependOnClassesThat().resideInAPackage("caravan.ops.."));
    }

    @Test
    void theRecordsAndMechanismsDoNotNeedTheSearchClient() {
        check(noClasses().that().resideInAnyPackage("caravan.event..", "caravan.common..")
                .should().dependOnClassesThat().resideInAPackage("caravan.search.."));
    }

    @Test
    void theRecordsNeedNoMechanism() {
        check(noClasses().that().resideInAPackage("caravan.event..")
                .should().dependOnClassesThat().resideInAnyPackage("caravan.common..", "caravan.search.."));
    }

    @Test
    void noStageImportsTheRoof() {
        check(noClasses().that().resideInAnyPackage(STAGES)
                .should().dependOnClassesThat().resideInAPackage("caravan.ops.."));
    }

    @Test
    void parseImportsOnlyTheGroundFloor() {
        check(noClasses().that().resideInAPackage("caravan.parse..")
                .should().dependOnClassesThat().resideInAnyPackage(except("caravan.parse..")));
    }

    @Test
    void shipImportsNoOtherStage() {
        check(noClasses().that().resideInAPackage("caravan.ship..")
                .should().dependOnClassesThat().resideInAnyPackage(except("caravan.ship..")));
    }

    @Test
    void theTailComponentKnowsNothingOfTheShipRoute() {
        check(noClasses().that().resideInAPackage("caravan.ship.tail..")
                .should().dependOnClassesThat().resideInAPackage("caravan.ship"));
    }

    @Test
    void enrichImportsNoOtherStage() {
        check(noClasses().that().resideInAPackage("caravan.enrich..")
                .should().dependOnClassesThat().resideInAnyPackage(except("caravan.enrich..")));
    }

    /** The index route runs the parse and enrich steps; it needs nothing from the other stages. */
    @Test
    void indexImportsOnlyTheStagesItRuns() {
        check(noClasses().that().resideInAPackage("caravan.index..")
                .should().dependOnClassesThat().resideInAnyPackage("caravan.ship..", "caravan.alert..", "caravan.api.."));
    }

    @Test
    void alertImportsNoOtherStage() {
        check(noClasses().that().resideInAPackage("caravan.alert..")
                .should().dependOnClassesThat().resideInAnyPackage(except("caravan.alert..")));
    }

    /** The REST API serves the logs and the alerts; it needs nothing from the pipeline's stages. */
    @Test
    void apiImportsOnlyTheAlerts() {
        check(noClasses().that().resideInAPackage("caravan.api..")
                .should().dependOnClassesThat().resideInAnyPackage("caravan.ship..", "caravan.parse..",
                        "caravan.enrich..", "caravan.index.."));
    }

    /** Every package, subpackages counted apart (enrich and enrich.geo are two): no cycle. */
    @Test
    void noTwoPackagesDependOnEachOther() {
        check(slices().matching("caravan.(**)").should().beFreeOfCycles());
    }

    @Test
    void theProductionCodeNeverUsesTheDevstack() {
        check(noClasses().should().dependOnClassesThat().resideInAPackage("caravan.devstack.."));
    }

    /** The other stages, as package patterns: all of {@link #STAGES} but {@code own}. */
    private static String[] except(String own) {
        return java.util.Arrays.stream(STAGES).filter(s -> !s.equals(own)).toArray(String[]::new);
    }
}
